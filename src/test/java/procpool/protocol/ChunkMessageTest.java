package procpool.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import jakarta.jms.Connection;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.junit.jupiter.api.Test;

class ChunkMessageTest {

    private static final ChunkMessage LAST_CHUNK = new ChunkMessage("5f1c2a9e", "square", 3, 150, 2, 4, "nums.txt",
            false, ",4711-9f3a2b1c,", "7\n8");

    private static Message camelMessage() {
        return new DefaultMessage(new DefaultCamelContext());
    }

    @Test
    void aChunkSurvivesTheRoundTripThroughCamelHeaders() {
        Message message = camelMessage();
        message.setHeader("somethingElse", "left over from the exchange");

        LAST_CHUNK.writeTo(message);

        assertThat(message.getHeaders()).doesNotContainKey("somethingElse");
        assertThat(message.getHeader("procpoolChunkIndex")).isEqualTo(3);
        assertThat(message.getHeader("procpoolFirstItem")).isEqualTo(150L);
        assertThat(message.getBody()).isEqualTo("7\n8");
        assertThat(ChunkMessage.from(message)).isEqualTo(LAST_CHUNK);
    }

    @Test
    void aChunkWrittenAsBytesCarriesItsItemsAsUtf8AndReadsBackTheSame() {
        ChunkMessage chunk = new ChunkMessage("5f1c2a9e", "upper", 0, 0, 2, 1, "w\u00f6rter.txt", false, null,
                "\u00e9t\u00e9\n\u20ac");
        Message message = camelMessage();

        chunk.writeBytesTo(message);

        assertThat(message.getBody()).isEqualTo("\u00e9t\u00e9\n\u20ac".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(ChunkMessage.from(message)).isEqualTo(chunk);
    }

    @Test
    void aBytesChunkThatIsNotUtf8IsRefusedAsMalformed() {
        Message message = camelMessage();
        LAST_CHUNK.writeBytesTo(message);
        message.setBody(new byte[] {'7', '\n', (byte) 0xC3});

        assertThatThrownBy(() -> ChunkMessage.from(message)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("not valid UTF-8");
    }

    @Test
    void aBytesChunkHoldingAReplacementCharacterOfItsOwnIsAccepted() {
        Message message = camelMessage();
        LAST_CHUNK.writeBytesTo(message);
        message.setBody("7\n\uFFFD".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(ChunkMessage.from(message).body()).isEqualTo("7\n\uFFFD");
    }

    @Test
    void aJsonChunkOfTheJavaApiSurvivesTheRoundTripThroughAJmsBytesMessage() throws Exception {
        ChunkMessage chunk = new ChunkMessage("pool-1a2b3c4d-7", "procpool.task.UpperTask", 0, 0, 2, null, null, true,
                null, "\"\u00e9\\nb\"\n[\"x\",\"\u20ac\"]");
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(
                "vm://chunk-message-bytes-test?broker.persistent=false&broker.useJmx=false");
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);

            jakarta.jms.BytesMessage message = chunk.toJmsBytes(session);

            assertThat(MessageBodies.bytes(message)).isEqualTo(chunk.body().getBytes(StandardCharsets.UTF_8));
            assertThat(ChunkMessage.from(message)).isEqualTo(chunk);
        }
    }

    @Test
    void aJsonChunkOfTheJavaApiSurvivesTheRoundTripThroughAJmsTextMessage() throws Exception {
        ChunkMessage chunk = new ChunkMessage("pool-1a2b3c4d-7", "procpool.task.UpperTask", 0, 0, 2, null, null, true,
                null, "\"a\\nb\"\n[\"x\",\"y\"]");
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(
                "vm://chunk-message-test?broker.persistent=false&broker.useJmx=false");
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage message = chunk.toJms(session);

            assertThat(message.getText()).isEqualTo(chunk.body());
            assertThat(message.getStringProperty("procpoolFormat")).isEqualTo("json");
            assertThat(message.getObjectProperty("procpoolChunkCount")).isNull();
            Message camel = camelMessage();
            for (String name : java.util.Collections.list(
                    (java.util.Enumeration<String>) message.getPropertyNames())) {
                camel.setHeader(name, message.getObjectProperty(name));
            }
            camel.setBody(message.getText());
            assertThat(ChunkMessage.from(camel)).isEqualTo(chunk);
        }
    }

    @Test
    void aChunkSurvivesTheRoundTripThroughAJmsTextMessageAsAWorkerReadsIt() throws Exception {
        org.apache.activemq.command.ActiveMQTextMessage message = new org.apache.activemq.command.ActiveMQTextMessage();

        LAST_CHUNK.writeTo(message);

        assertThat(message.getObjectProperty("procpoolFirstItem")).isEqualTo(150L);
        assertThat(message.getText()).isEqualTo("7\n8");
        assertThat(ChunkMessage.from((jakarta.jms.Message) message)).isEqualTo(LAST_CHUNK);
    }

    @Test
    void aJmsMessageThatIsNotAChunkIsRefusedNamingTheMissingHeader() {
        org.apache.activemq.command.ActiveMQTextMessage message = new org.apache.activemq.command.ActiveMQTextMessage();

        assertThatThrownBy(() -> ChunkMessage.from((jakarta.jms.Message) message))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("lacks header procpoolBatchId");
    }

    @Test
    void theJavaApisJmsChunkCarriesTheSamePropertiesOfTheSameTypesAsTheRoutesChunk() throws Exception {
        Message camel = camelMessage();
        LAST_CHUNK.writeTo(camel);
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(
                "vm://chunk-message-types-test?broker.persistent=false&broker.useJmx=false");
        try (Connection connection = factory.createConnection()) {
            TextMessage jms = LAST_CHUNK.toJms(connection.createSession(false, Session.AUTO_ACKNOWLEDGE));

            java.util.Map<String, Object> properties = new java.util.HashMap<>();
            for (String name : java.util.Collections.list(
                    (java.util.Enumeration<String>) jms.getPropertyNames())) {
                if (name.startsWith("procpool")) { // JMSX… properties are ActiveMQ's own
                    properties.put(name, jms.getObjectProperty(name));
                }
            }
            assertThat(properties).isEqualTo(camel.getHeaders());
            assertThat(jms.getText()).isEqualTo(camel.getBody());
        }
    }

    @Test
    void aChunkWithoutARequiredHeaderIsRefusedNamingTheHeader() {
        Message message = camelMessage();
        LAST_CHUNK.writeTo(message);
        message.removeHeader("procpoolTask");

        assertThatThrownBy(() -> ChunkMessage.from(message))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("lacks header procpoolTask");
    }

    @Test
    void aChunkWithAHeaderOfTheWrongTypeIsRefusedNamingTheHeaderAndValue() {
        Message message = camelMessage();
        LAST_CHUNK.writeTo(message);
        message.setHeader("procpoolChunkIndex", "three");

        assertThatThrownBy(() -> ChunkMessage.from(message))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("header procpoolChunkIndex must be an int, was String three");
    }

    @Test
    void anIntWhereALongIsExpectedIsTakenAsTheSameNumber() {
        Message message = camelMessage();
        LAST_CHUNK.writeTo(message);
        message.setHeader("procpoolFirstItem", 150);

        assertThat(ChunkMessage.from(message).firstItem()).isEqualTo(150L);
    }

    @Test
    void aChunkIndexBeyondTheIntRangeIsRefused() {
        Message message = camelMessage();
        LAST_CHUNK.writeTo(message);
        message.setHeader("procpoolItemCount", 1L << 40);

        assertThatThrownBy(() -> ChunkMessage.from(message))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("header procpoolItemCount must be an int");
    }
}
