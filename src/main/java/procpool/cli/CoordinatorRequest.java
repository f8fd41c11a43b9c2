package procpool.cli;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;

import procpool.protocol.Headers;

/**
 * One request to a running coordinator over its status queue, answered at a temporary queue: the status report
 * (text or JSON) or a cancel. Goes wherever {@code submit} and {@code status} go, with the same login: the broker's
 * client account may use the status queue.
 */
final class CoordinatorRequest {

    private CoordinatorRequest() {
    }

    /**
     * Sends the request and waits for its answer.
     *
     * @param statusQueue the coordinator's status queue ({@code procpool.queue.status})
     * @param kind        {@code status}, {@code status-json}, {@code history}, {@code history-json} or
     *                    {@code cancel} ({@link Headers#REQUEST})
     * @param cancelledBy for a cancel: who cancels; else null
     * @return the answer, or null if none came within {@code timeoutMillis}
     */
    static TextMessage send(Connection connection, String statusQueue, String kind, String body, String cancelledBy,
                            long timeoutMillis) throws JMSException {
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        TemporaryQueue replies = session.createTemporaryQueue();
        MessageProducer producer = session.createProducer(session.createQueue(statusQueue));
        // a request nobody takes in time must not wait for a coordinator started tomorrow
        producer.setTimeToLive(timeoutMillis);
        TextMessage request = session.createTextMessage(body);
        request.setStringProperty(Headers.REQUEST, kind);
        if (cancelledBy != null) {
            request.setStringProperty(Headers.CANCELLED_BY, cancelledBy);
        }
        request.setJMSReplyTo(replies);
        producer.send(request);
        return (TextMessage) session.createConsumer(replies).receive(timeoutMillis);
    }
}
