package procpool.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.Session;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.command.ActiveMQBytesMessage;
import org.apache.activemq.command.ActiveMQMapMessage;
import org.apache.activemq.command.ActiveMQTextMessage;
import org.junit.jupiter.api.Test;

class JobMessageTest {

    private static final byte[] ITEMS = "1\n2\n3\n".getBytes(StandardCharsets.UTF_8);

    private static ActiveMQTextMessage textJob(String task, String items) throws Exception {
        ActiveMQTextMessage message = new ActiveMQTextMessage();
        message.setText(items);
        if (task != null) {
            message.setStringProperty("procpoolTask", task);
        }
        return message;
    }

    @Test
    void aJobSurvivesTheRoundTripThroughTheBroker() throws Exception {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(
                "vm://job-message-test?broker.persistent=false&broker.useJmx=false");
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue jobs = session.createQueue("procpool.jobs");
            JobMessage job = JobMessage.of("square", ITEMS).withBatchName("nums.txt").withChunkSize(2)
                    .withErrorPolicy("skip", 10L, 0.5).withReplyTo(session.createTemporaryQueue(), "my-request-1")
                    .withDeadChunkWait(60_000L);

            session.createProducer(jobs).send(job.toJms(session));
            Message received = session.createConsumer(jobs).receive(10_000);

            assertThat(received.getStringProperty("procpoolTask")).isEqualTo("square");
            assertThat(received.getObjectProperty("procpoolChunkSize")).isEqualTo(2);
            assertThat(JobMessage.from(received)).isEqualTo(job);
        }
    }

    @Test
    void aJobsDeadChunkWaitIsAWholeNumberOfMillisecondsZeroOrMore() throws Exception {
        ActiveMQTextMessage message = textJob("square", "1\n");
        message.setStringProperty("procpoolDeadChunkWaitMs", "300000");
        assertThat(JobMessage.from(message).deadChunkWaitMillis()).isEqualTo(300_000L);
        assertThat(JobMessage.from(textJob("square", "1\n")).deadChunkWaitMillis()).isNull();

        message.setLongProperty("procpoolDeadChunkWaitMs", -1);
        assertThatThrownBy(() -> JobMessage.from(message)).isInstanceOf(MalformedMessageException.class)
                .hasMessage("invalid procpoolDeadChunkWaitMs '-1': a whole number, 0 or more");
    }

    @Test
    void aJobsErrorPolicyIsReadFromItsPropertiesTextOrNumbers() throws Exception {
        ActiveMQTextMessage message = textJob("square", "1\n");
        message.setStringProperty("procpoolOnError", "skip");
        message.setStringProperty("procpoolMaxErrors", "10");
        message.setDoubleProperty("procpoolMaxErrorRate", 0.25);

        JobMessage job = JobMessage.from(message);

        assertThat(job.onError()).isEqualTo("skip");
        assertThat(job.maxErrors()).isEqualTo(10L);
        assertThat(job.maxErrorRate()).isEqualTo(0.25);
    }

    @Test
    void limitsWithoutSkipAndUnknownPoliciesAreRefusedNamingTheProperty() throws Exception {
        ActiveMQTextMessage limitOnly = textJob("square", "1\n");
        limitOnly.setLongProperty("procpoolMaxErrors", 3);
        ActiveMQTextMessage unknown = textJob("square", "1\n");
        unknown.setStringProperty("procpoolOnError", "ignore");
        ActiveMQTextMessage badRate = textJob("square", "1\n");
        badRate.setStringProperty("procpoolOnError", "skip");
        badRate.setStringProperty("procpoolMaxErrorRate", "1.5");

        assertThatThrownBy(() -> JobMessage.from(limitOnly)).isInstanceOf(MalformedMessageException.class)
                .hasMessage("procpoolMaxErrors and procpoolMaxErrorRate need procpoolOnError=skip");
        assertThatThrownBy(() -> JobMessage.from(unknown)).isInstanceOf(MalformedMessageException.class)
                .hasMessage("invalid procpoolOnError 'ignore': fail or skip");
        assertThatThrownBy(() -> JobMessage.from(badRate)).isInstanceOf(MalformedMessageException.class)
                .hasMessage("invalid procpoolMaxErrorRate '1.5': a fraction from 0 to 1");
    }

    @Test
    void aJobWithoutCorrelationIdIsAnsweredUnderItsMessageId() throws Exception {
        ActiveMQTextMessage message = textJob("square", "1\n");
        message.setJMSMessageID("ID:sender-1:1:1:1");

        JobMessage job = JobMessage.from(message);

        assertThat(job.correlationId()).isEqualTo("ID:sender-1:1:1:1");
        assertThat(job.batchName()).isNull();
        assertThat(job.chunkSize()).isNull();
        assertThat(job.replyTo()).isNull();
    }

    @Test
    void aTextJobIsReadAsItsUtf8Bytes() throws Exception {
        JobMessage job = JobMessage.from(textJob("upper", "grüße\n"));

        assertThat(new String(job.items(), StandardCharsets.UTF_8)).isEqualTo("grüße\n");
    }

    @Test
    void aChunkSizeSentAsTextIsTakenAsItsNumberAsJmsConvertsIt() throws Exception {
        ActiveMQTextMessage message = textJob("square", "1\n");
        message.setStringProperty("procpoolChunkSize", "5");

        assertThat(JobMessage.from(message).chunkSize()).isEqualTo(5);
    }

    @Test
    void aJobWithoutTaskIsRefusedNamingTheProperty() throws Exception {
        assertThatThrownBy(() -> JobMessage.from(textJob(null, "1\n")))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage("the job has no procpoolTask property");
    }

    @Test
    void aTaskNameThatIsNotAPlainNameIsRefused() throws Exception {
        assertThatThrownBy(() -> JobMessage.from(textJob("../square", "1\n")))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageStartingWith("invalid task name");
    }

    @Test
    void aBatchNameThatIsNotAPlainFileNameIsRefusedNamingTheProperty() throws Exception {
        ActiveMQTextMessage message = textJob("upper", "x\n");
        message.setStringProperty("procpoolBatchName", "../escaped.txt");

        assertThatThrownBy(() -> JobMessage.from(message))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageStartingWith("invalid procpoolBatchName '../escaped.txt'");
    }

    @Test
    void aChunkSizeThatIsNotAWholeNumberIsRefusedNamingTheProperty() throws Exception {
        ActiveMQTextMessage message = textJob("square", "1\n");
        message.setStringProperty("procpoolChunkSize", "ten");

        assertThatThrownBy(() -> JobMessage.from(message))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage("invalid procpoolChunkSize: not a whole number");
    }

    @Test
    void aChunkSizeBelowOneIsRefused() throws Exception {
        ActiveMQTextMessage message = textJob("square", "1\n");
        message.setIntProperty("procpoolChunkSize", 0);

        assertThatThrownBy(() -> JobMessage.from(message))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage("invalid procpoolChunkSize 0: must be at least 1");
    }

    @Test
    void aBodyThatIsNotUtf8IsRefusedNamingTheFirstBadLine() throws Exception {
        ActiveMQBytesMessage message = new ActiveMQBytesMessage();
        message.writeBytes(new byte[] {'a', '\n', (byte) 0xff, 'b', '\n'});
        message.setStringProperty("procpoolTask", "upper");
        message.setStringProperty("procpoolBatchName", "not-utf8.txt");

        assertThatThrownBy(() -> JobMessage.from(message))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage("not-utf8.txt line 2: not valid UTF-8 text");
    }

    @Test
    void aBadLineIsNumberedCountingLoneCarriageReturnsAsLineBreaks() throws Exception {
        ActiveMQBytesMessage message = new ActiveMQBytesMessage();
        message.writeBytes(new byte[] {'a', '\r', 'b', '\r', '\n', (byte) 0xff, 'b', '\n'});
        message.setStringProperty("procpoolTask", "upper");
        message.setStringProperty("procpoolBatchName", "not-utf8.txt");

        assertThatThrownBy(() -> JobMessage.from(message))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage("not-utf8.txt line 3: not valid UTF-8 text");
    }

    @Test
    void aMessageThatIsNeitherTextNorBytesIsRefusedNamingItsType() throws Exception {
        ActiveMQMapMessage message = new ActiveMQMapMessage();
        message.setStringProperty("procpoolTask", "square");

        assertThatThrownBy(() -> JobMessage.from(message))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage("only text and bytes messages are jobs, this is a MapMessage");
    }

    @Test
    void aJobDescribesItselfWithoutItsItems() {
        assertThat(JobMessage.of("square", "secret\n".getBytes(StandardCharsets.UTF_8)).toString())
                .contains("task=square", "7 bytes").doesNotContain("secret");
    }
}
