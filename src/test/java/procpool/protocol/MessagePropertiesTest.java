package procpool.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;

import jakarta.jms.Message;

import org.apache.activemq.command.ActiveMQBytesMessage;
import org.apache.activemq.command.ActiveMQTextMessage;
import org.junit.jupiter.api.Test;

class MessagePropertiesTest {

    private static ActiveMQTextMessage deadChunk() throws Exception {
        ActiveMQTextMessage chunk = new ActiveMQTextMessage();
        chunk.setText("1\n2");
        chunk.setStringProperty(Headers.BATCH_ID, "b1");
        chunk.setIntProperty(Headers.CHUNK_INDEX, 3);
        chunk.setLongProperty(Headers.FIRST_ITEM, 2_000_000_000_000L);
        chunk.setBooleanProperty("procpoolFlag", true);
        chunk.setStringProperty("dlqDeliveryFailureCause", "java.lang.Throwable: Delivery[7] exceeds redelivery");
        chunk.setStringProperty("JMSXGroupID", "g1");
        chunk.setIntProperty("JMS_procpoolVendor", 1);
        chunk.setRedeliveryCounter(6); // what the broker reports as JMSXDeliveryCount 7
        return chunk;
    }

    private static java.util.List<String> names(Message message) throws Exception {
        return Collections.list(message.getPropertyNames()).stream().map(Object::toString).toList();
    }

    @Test
    void theCopyHasEveryApplicationPropertyWithItsValueAndType() throws Exception {
        ActiveMQTextMessage copy = new ActiveMQTextMessage();

        MessageProperties.copy(deadChunk(), copy);

        assertThat(copy.getObjectProperty(Headers.BATCH_ID)).isEqualTo("b1");
        assertThat(copy.getObjectProperty(Headers.CHUNK_INDEX)).isEqualTo(3);
        assertThat(copy.getObjectProperty(Headers.FIRST_ITEM)).isEqualTo(2_000_000_000_000L);
        assertThat(copy.getObjectProperty("procpoolFlag")).isEqualTo(true);
        assertThat(copy.getObjectProperty("dlqDeliveryFailureCause")).asString().contains("Delivery[7]");
    }

    @Test
    void noneOfTheProvidersJmsPropertiesIsCopied() throws Exception {
        ActiveMQTextMessage copy = new ActiveMQTextMessage();

        MessageProperties.copy(deadChunk(), copy);

        // ActiveMQ lists JMSXDeliveryCount on every message: the copy has what a fresh message has
        assertThat(names(copy).stream().filter(name -> name.startsWith("JMS")))
                .containsExactlyInAnyOrderElementsOf(names(new ActiveMQTextMessage()));
        assertThat(copy.getIntProperty("JMSXDeliveryCount"))
                .isEqualTo(new ActiveMQTextMessage().getIntProperty("JMSXDeliveryCount"));
    }

    @Test
    void onlyThePropertiesTheFilterKeepsAreCopiedOntoAMessageOfAnotherKind() throws Exception {
        ActiveMQBytesMessage copy = new ActiveMQBytesMessage();

        MessageProperties.copy(deadChunk(), copy, name -> name.startsWith("procpool"));

        assertThat(names(copy)).filteredOn(name -> !name.startsWith("JMS")).containsExactlyInAnyOrder(
                Headers.BATCH_ID, Headers.CHUNK_INDEX, Headers.FIRST_ITEM, "procpoolFlag");
    }
}
