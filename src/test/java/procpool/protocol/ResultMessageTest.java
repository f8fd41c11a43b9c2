package procpool.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.activemq.command.ActiveMQTextMessage;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.junit.jupiter.api.Test;

class ResultMessageTest {

    private static final ItemFailure FIRST = new ItemFailure(1, "x", "not an integer: \"x\"",
            "java.lang.NumberFormatException: For input string: \"x\"\n\tat Square.apply(Square.java:9)", 4711);
    private static final ItemFailure SECOND = new ItemFailure(3, "\"y\"", "not an integer", "", 4711);

    private static Message camelMessage() {
        return new DefaultMessage(new DefaultCamelContext());
    }

    @Test
    void aResultSurvivesTheRoundTripThroughCamelHeaders() {
        ResultMessage result = new ResultMessage("5f1c2a9e", "square", 3, 150, 2, 4, "nums.txt", false, 4711, "49\n64",
                List.of());
        Message message = camelMessage();
        message.setHeader("procpoolLackedBy", ",1-a,");

        result.writeTo(message);

        assertThat(message.getHeaders()).doesNotContainKeys("procpoolLackedBy", "procpoolFailures", "procpoolError");
        assertThat(ResultMessage.from(message)).isEqualTo(result);
    }

    @Test
    void aFailedResultCarriesItsFailuresAsDataAndTheOldTextForPeople() {
        ResultMessage result = new ResultMessage("5f1c2a9e", "square", 0, 0, 5, null, "nums.txt", false, 4711, "",
                List.of(FIRST, SECOND));
        Message message = camelMessage();

        result.writeTo(message);

        assertThat(message.getHeader("procpoolError")).isEqualTo("line 2: item \"x\": not an integer: \"x\"\n"
                + "line 4: item \"\"y\"\": not an integer");
        assertThat(message.getHeader("procpoolErrorIndex")).isEqualTo(1L);
        assertThat(message.getHeader("procpoolErrorItem")).isEqualTo("x");
        assertThat(message.getHeader("procpoolErrorStack")).isEqualTo(FIRST.stack());
        assertThat(message.getBody()).isEqualTo("");
        assertThat(ResultMessage.from(message).failures()).containsExactly(FIRST, SECOND);
    }

    @Test
    void aResultInAJmsBytesMessageIsItsTextAsUtf8AndReadsBackTheSame() throws Exception {
        ResultMessage result = new ResultMessage("5f1c2a9e", "upper", 0, 0, 2, 1, "nums.txt", false, 4711,
                "\u00c9T\u00c9\n\u20ac", List.of());
        org.apache.activemq.command.ActiveMQBytesMessage jms = new org.apache.activemq.command.ActiveMQBytesMessage();

        result.writeTo(jms);

        assertThat(MessageBodies.bytes(jms)).isEqualTo("\u00c9T\u00c9\n\u20ac".getBytes(StandardCharsets.UTF_8));
        assertThat(ResultMessage.from(jms)).isEqualTo(result);
        Message camel = camelMessage();
        result.writeTo(camel);
        camel.setBody(MessageBodies.bytes(jms)); // what camel-jms makes of a bytes message's body
        assertThat(ResultMessage.from(camel)).isEqualTo(result);
    }

    @Test
    void aWorkersJmsResultCarriesTheSamePropertiesOfTheSameTypesAsACamelOne() throws Exception {
        ResultMessage result = new ResultMessage("5f1c2a9e", "square", 2, 10, 5, 3, "nums.txt", true, 4711, "",
                List.of(FIRST, SECOND));
        Message camel = camelMessage();
        result.writeTo(camel);
        ActiveMQTextMessage jms = new ActiveMQTextMessage();

        result.writeTo(jms);

        java.util.Map<String, Object> properties = new java.util.HashMap<>(jms.getProperties());
        assertThat(properties).isEqualTo(camel.getHeaders());
        assertThat(jms.getText()).isEqualTo(camel.getBody());
        assertThat(ResultMessage.from(jms)).isEqualTo(result);
    }

    @Test
    void aFailedResultIsReadFromAJmsTextMessage() throws Exception {
        ActiveMQTextMessage message = new ActiveMQTextMessage();
        message.setText("");
        message.setStringProperty("procpoolBatchId", "pool-1a2b3c4d-0");
        message.setStringProperty("procpoolTask", "square");
        message.setIntProperty("procpoolChunkIndex", 0);
        message.setLongProperty("procpoolFirstItem", 0);
        message.setIntProperty("procpoolItemCount", 5);
        message.setLongProperty("procpoolWorkerPid", 4711);
        message.setStringProperty("procpoolFailures", ItemFailures.encode(List.of(FIRST)));
        message.setStringProperty("procpoolError", "anything: procpool does not read this");

        ResultMessage result = ResultMessage.from(message);

        assertThat(result.failed()).isTrue();
        assertThat(result.failures()).containsExactly(FIRST);
        assertThat(result.workerPid()).isEqualTo(4711);
    }

    @Test
    void aResultWithoutItsBatchIdIsRefusedNamingTheHeader() {
        Message message = camelMessage();
        new ResultMessage("b", "square", 0, 0, 1, null, null, false, 1, "1", List.of()).writeTo(message);
        message.removeHeader("procpoolBatchId");

        assertThatThrownBy(() -> ResultMessage.from(message))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("lacks header procpoolBatchId");
    }

    @Test
    void aResultWithAWorkerPidOfTheWrongTypeIsRefused() {
        Message message = camelMessage();
        new ResultMessage("b", "square", 0, 0, 1, null, null, false, 1, "1", List.of()).writeTo(message);
        message.setHeader("procpoolWorkerPid", "4711");

        assertThatThrownBy(() -> ResultMessage.from(message))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("header procpoolWorkerPid must be a long, was String 4711");
    }

    @Test
    void aResultWithADamagedFailureListIsRefusedNamingTheLine() {
        Message message = camelMessage();
        new ResultMessage("b", "square", 0, 0, 2, null, null, false, 1, "", List.of(FIRST, SECOND)).writeTo(message);
        String failures = message.getHeader("procpoolFailures", String.class);
        message.setHeader("procpoolFailures", failures.substring(0, failures.length() - 5));

        assertThatThrownBy(() -> ResultMessage.from(message))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("header procpoolFailures line 2: not JSON");
    }

    @Test
    void aFailedResultWithoutItsFailuresAsDataIsRefusedRatherThanTakenAsEmptyResults() {
        Message message = camelMessage();
        new ResultMessage("b", "square", 0, 0, 1, null, null, false, 1, "", List.of(FIRST)).writeTo(message);
        message.removeHeader("procpoolFailures");

        assertThatThrownBy(() -> ResultMessage.from(message))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("has procpoolError but lacks header procpoolFailures");
    }
}
