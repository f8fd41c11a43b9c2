package procpool.broker;

import org.apache.activemq.broker.Broker;
import org.apache.activemq.broker.BrokerFilter;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.ProducerBrokerExchange;
import org.apache.activemq.command.ActiveMQObjectMessage;
import org.apache.activemq.command.Message;

/**
 * The broker refuses {@code ObjectMessage}s outright: procpool speaks text and bytes only, and a serialised Java
 * object on a shared queue is a remote-code-execution risk for whoever reads it.
 */
final class ObjectMessageRefusal implements BrokerPlugin {

    @Override
    public Broker installPlugin(Broker next) {
        return new BrokerFilter(next) {
            @Override
            public void send(ProducerBrokerExchange producerExchange, Message message) throws Exception {
                if (message instanceof ActiveMQObjectMessage) {
                    throw new SecurityException("ObjectMessage refused by procpool's broker: send a text or bytes "
                            + "message (destination " + message.getDestination() + ")");
                }
                super.send(producerExchange, message);
            }
        };
    }
}
