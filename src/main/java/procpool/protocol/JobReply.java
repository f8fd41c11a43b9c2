package procpool.protocol;

import java.util.Arrays;
import java.util.function.Function;

import jakarta.jms.JMSException;

import org.apache.camel.Message;

/**
 * One reply to a job (README, "Jobs"): the answer is one or more text messages in order, each a part of at most
 * {@code procpool.jobs.reply-part-lines} result lines joined with {@code '\n'}, the final one marked
 * {@link Headers#LAST}; a job that failed gets a single reply, {@link Status#FAILED}, with the first line of the
 * error report in {@link Headers#ERROR} and the whole report as its body. Every reply carries the job's
 * correlation id as {@code JMSCorrelationID}.
 *
 * @param batchId       the job's batch ({@code -} for a job rejected before it had one)
 * @param part          position among the job's replies, from 0
 * @param last          true on the job's final reply
 * @param itemCount     result lines in this part (0 on a failure)
 * @param error         null, or on a failure the first line of the error report
 * @param correlationId the job's correlation id (null: none)
 * @param body          the result lines of this part, or the error report
 */
public record JobReply(String batchId, Status status, int part, boolean last, int itemCount, String error,
                       String correlationId, String body) {

    /** The {@link Headers#STATUS} of a reply. */
    public enum Status {
        DONE("done"), FAILED("failed");

        private final String wire;

        Status(String wire) {
            this.wire = wire;
        }

        /** The value on the wire. */
        public String wire() {
            return wire;
        }

        static Status of(String what, String wire) {
            return Arrays.stream(values()).filter(status -> status.wire.equals(wire)).findFirst()
                    .orElseThrow(() -> new MalformedMessageException(what + ": header " + Headers.STATUS + " must be "
                            + Arrays.stream(values()).map(Status::wire).toList() + ", was '"
                            + WireValues.shown(wire) + "'"));
        }
    }

    /** The JMS header Camel maps to and from {@code JMSCorrelationID}. */
    private static final String CORRELATION_ID = "JMSCorrelationID";

    public JobReply {
        body = body == null ? "" : body;
    }

    /** Part {@code part} of a done job's results. */
    public static JobReply results(String batchId, String correlationId, int part, boolean last, int itemCount,
                                   String body) {
        return new JobReply(batchId, Status.DONE, part, last, itemCount, null, correlationId, body);
    }

    /** The one reply of a failed job: {@code reason} as in the error file, {@code report} all of it. */
    public static JobReply failure(String batchId, String correlationId, String reason, String report) {
        return new JobReply(batchId, Status.FAILED, 0, true, 0, reason, correlationId, report);
    }

    public boolean failed() {
        return status == Status.FAILED;
    }

    /** Writes this reply into {@code message}, replacing all its headers and its body (a Camel JMS producer's). */
    public void writeTo(Message message) {
        message.removeHeaders("*");
        message.setBody(body);
        message.setHeader(CORRELATION_ID, correlationId);
        message.setHeader(Headers.BATCH_ID, batchId);
        message.setHeader(Headers.STATUS, status.wire());
        message.setHeader(Headers.PART, part);
        message.setHeader(Headers.LAST, last);
        message.setHeader(Headers.ITEM_COUNT, itemCount);
        if (error != null) {
            message.setHeader(Headers.ERROR, error);
        }
    }

    /** The reply in a Camel message. */
    public static JobReply from(Message message) {
        return read("job reply " + message.getMessageId(), message::getHeader,
                message.getHeader(CORRELATION_ID, String.class), message.getBody(String.class));
    }

    /**
     * The reply in a received JMS message ({@code procpool submit}).
     *
     * @throws MalformedMessageException naming the header, if a required one is missing or of the wrong type, or
     *                                   if it is not a text message
     */
    public static JobReply from(jakarta.jms.Message message) throws JMSException {
        String what = "job reply " + message.getJMSMessageID();
        if (!(message instanceof jakarta.jms.TextMessage text)) {
            throw new MalformedMessageException(what + " is not a text message");
        }
        return read(what, name -> {
            try {
                return message.getObjectProperty(name);
            } catch (JMSException e) {
                throw new MalformedMessageException(what + ": header " + name + " unreadable: " + e.getMessage());
            }
        }, message.getJMSCorrelationID(), text.getText());
    }

    private static JobReply read(String what, Function<String, Object> headers, String correlationId, String body) {
        WireValues values = new WireValues(what, headers);
        return new JobReply(values.requiredString(Headers.BATCH_ID),
                Status.of(what, values.requiredString(Headers.STATUS)), values.requiredInt(Headers.PART),
                values.requiredBoolean(Headers.LAST), values.requiredInt(Headers.ITEM_COUNT),
                values.optionalString(Headers.ERROR), correlationId, body);
    }
}
