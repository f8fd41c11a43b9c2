package procpool.protocol;

import java.util.Collections;
import java.util.function.Predicate;

import jakarta.jms.JMSException;
import jakarta.jms.Message;

/**
 * Copies the properties of a JMS message onto a fresh copy of it (a dead chunk kept, a dead letter replayed, a chunk
 * handed back): the application's properties, each with its type, never the {@code JMS*} ones, which belong to the
 * JMS provider (delivery count, group sequence...) and would either be refused or carry a stale delivery's state.
 */
public final class MessageProperties {

    private MessageProperties() {
    }

    /** Copies every property of {@code from} whose name does not start with {@code JMS} onto {@code to}. */
    public static void copy(Message from, Message to) throws JMSException {
        copy(from, to, name -> true);
    }

    /** As {@link #copy(Message, Message)}, only the properties whose names {@code keep} accepts. */
    public static void copy(Message from, Message to, Predicate<String> keep) throws JMSException {
        for (Object property : Collections.list(from.getPropertyNames())) {
            String name = property.toString();
            if (!name.startsWith("JMS") && keep.test(name)) {
                to.setObjectProperty(name, from.getObjectProperty(name));
            }
        }
    }
}
