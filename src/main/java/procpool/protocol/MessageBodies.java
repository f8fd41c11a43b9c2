package procpool.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

/**
 * The bodies of chunk and result messages, which travel as JMS text messages or as bytes messages of UTF-8 text. A
 * bytes message is the fast way: the JDK encodes and decodes UTF-8 a whole array at a time, where ActiveMQ marshals a
 * text message's text a character at a time, and the coordinator writes a result's bytes to its output as they
 * came. Neither ever an ObjectMessage.
 */
public final class MessageBodies {

    private MessageBodies() {
    }

    /** The whole body of a bytes message (from its start, whatever was read of it before). */
    public static byte[] bytes(BytesMessage message) throws JMSException {
        message.reset();
        byte[] body = new byte[Math.toIntExact(message.getBodyLength())];
        message.readBytes(body);
        return body;
    }

    /**
     * The text of a text message, or of a bytes message's UTF-8 bytes; null for a text message without text or a
     * message of another type.
     *
     * @throws MalformedMessageException naming {@code what}, when a bytes body is not UTF-8
     */
    public static String text(Message message, String what) throws JMSException {
        if (message instanceof TextMessage text) {
            return text.getText();
        }
        if (message instanceof BytesMessage bytes) {
            return utf8(bytes(bytes), what);
        }
        return null;
    }

    /**
     * {@code bytes} decoded as UTF-8, strictly: the JDK's fast decoding, checked by the slower strict decoder only when
     * the text holds a replacement character (which the fast one puts in place of a bad byte).
     *
     * @throws MalformedMessageException naming {@code what}, when the bytes are not UTF-8
     */
    public static String utf8(byte[] bytes, String what) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') >= 0) {
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            } catch (CharacterCodingException e) {
                throw new MalformedMessageException(what + ": body is not valid UTF-8 text");
            }
        }
        return text;
    }

    /** A new message of {@code session} of the same type as {@code original}, with its body (no properties). */
    public static Message copyBody(Session session, Message original) throws JMSException {
        if (original instanceof TextMessage text) {
            return session.createTextMessage(text.getText());
        }
        if (original instanceof BytesMessage bytes) {
            BytesMessage copy = session.createBytesMessage();
            copy.writeBytes(bytes(bytes));
            return copy;
        }
        throw new JMSException("only text and bytes messages are copied, not " + original.getClass().getSimpleName());
    }
}
