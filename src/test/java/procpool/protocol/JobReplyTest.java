package procpool.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.activemq.command.ActiveMQBytesMessage;
import org.apache.activemq.command.ActiveMQTextMessage;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.junit.jupiter.api.Test;

class JobReplyTest {

    private static Message camelMessage() {
        return new DefaultMessage(new DefaultCamelContext());
    }

    @Test
    void aResultPartSurvivesTheRoundTripThroughCamelHeaders() {
        JobReply part = JobReply.results("5f1c2a9e", "my-request-1", 1, false, 3, "16\n25\n36");
        Message message = camelMessage();
        message.setHeader("procpoolTask", "left over from the exchange");

        part.writeTo(message);

        assertThat(message.getHeaders()).doesNotContainKeys("procpoolTask", "procpoolError");
        assertThat(JobReply.from(message)).isEqualTo(part);
    }

    @Test
    void aReplyCarriesTheDocumentedPropertiesWithTheirTypes() {
        Message message = camelMessage();

        JobReply.results("5f1c2a9e", "my-request-1", 2, true, 1, "49").writeTo(message);

        assertThat(message.getHeaders()).containsEntry("procpoolBatchId", "5f1c2a9e")
                .containsEntry("procpoolStatus", "done").containsEntry("procpoolPart", 2)
                .containsEntry("procpoolLast", true).containsEntry("procpoolItemCount", 1)
                .containsEntry("JMSCorrelationID", "my-request-1");
        assertThat(message.getBody()).isEqualTo("49");
    }

    @Test
    void aFailureIsOneLastReplyWithTheReasonAndTheWholeReport() {
        JobReply failure = JobReply.failure("77685e8f", "my-request-1", "bad.txt line 3: item \"abc\": not an integer",
                "error: bad.txt line 3: item \"abc\": not an integer\nbatch: 77685e8f\n");
        Message message = camelMessage();

        failure.writeTo(message);

        assertThat(message.getHeaders()).containsEntry("procpoolStatus", "failed").containsEntry("procpoolPart", 0)
                .containsEntry("procpoolLast", true).containsEntry("procpoolItemCount", 0)
                .containsEntry("procpoolError", "bad.txt line 3: item \"abc\": not an integer");
        JobReply read = JobReply.from(message);
        assertThat(read).isEqualTo(failure);
        assertThat(read.failed()).isTrue();
    }

    @Test
    void aReplyIsReadFromAJmsTextMessage() throws Exception {
        ActiveMQTextMessage message = new ActiveMQTextMessage();
        message.setText("1\n4\n9");
        message.setJMSCorrelationID("my-request-1");
        message.setStringProperty("procpoolBatchId", "5f1c2a9e");
        message.setStringProperty("procpoolStatus", "done");
        message.setIntProperty("procpoolPart", 0);
        message.setBooleanProperty("procpoolLast", true);
        message.setIntProperty("procpoolItemCount", 3);

        assertThat(JobReply.from(message))
                .isEqualTo(JobReply.results("5f1c2a9e", "my-request-1", 0, true, 3, "1\n4\n9"));
    }

    @Test
    void aReplyWithoutItsLastMarkerIsRefusedNamingTheHeader() {
        Message message = camelMessage();
        JobReply.results("b", "c", 0, true, 1, "1").writeTo(message);
        message.removeHeader("procpoolLast");

        assertThatThrownBy(() -> JobReply.from(message))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("lacks header procpoolLast");
    }

    @Test
    void aReplyWithALastMarkerOfTheWrongTypeIsRefused() {
        Message message = camelMessage();
        JobReply.results("b", "c", 0, true, 1, "1").writeTo(message);
        message.setHeader("procpoolLast", "yes");

        assertThatThrownBy(() -> JobReply.from(message))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("header procpoolLast must be a boolean, was String yes");
    }

    @Test
    void aReplyWithAnUnknownStatusIsRefusedNamingTheKnownOnes() {
        Message message = camelMessage();
        JobReply.results("b", "c", 0, true, 1, "1").writeTo(message);
        message.setHeader("procpoolStatus", "maybe");

        assertThatThrownBy(() -> JobReply.from(message))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("header procpoolStatus must be [done, failed], was 'maybe'");
    }

    @Test
    void aReplyThatIsNotATextMessageIsRefused() {
        assertThatThrownBy(() -> JobReply.from(new ActiveMQBytesMessage()))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("is not a text message");
    }
}
