package procpool.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import procpool.chunk.ErrorTexts;

class ItemFailuresTest {

    @Test
    void failuresWithLineBreaksQuotesAndUnicodeSurviveTheRoundTrip() {
        List<ItemFailure> failures = List.of(
                new ItemFailure(0, "a\nb\r\"c\"\u2028é😀", "cause\nwith a break", "Stack\n\tat X.y(X.java:1)", 12),
                new ItemFailure(Long.MAX_VALUE - 1, "", "", "", 0));

        String header = ItemFailures.encode(failures);

        assertThat(header.lines()).hasSize(2);
        assertThat(ItemFailures.decode(header)).isEqualTo(failures);
    }

    @Test
    void eachFailureIsOneJsonObjectALineWithNamedFields() {
        String header = ItemFailures.encode(List.of(new ItemFailure(4, "y", "not an integer: \"y\"", "", 4711)));

        assertThat(header).isEqualTo(
                "{\"index\":4,\"item\":\"y\",\"cause\":\"not an integer: \\\"y\\\"\",\"stack\":\"\",\"workerPid\":4711}");
    }

    @Test
    void theAttemptsAnItemFailedAfterSurviveTheRoundTrip() {
        List<ItemFailure> failures = List.of(new ItemFailure(3, "x", "flaky", "", 4711, 5));

        String header = ItemFailures.encode(failures);

        assertThat(header).endsWith(",\"workerPid\":4711,\"attempts\":5}");
        assertThat(ItemFailures.decode(header)).isEqualTo(failures);
    }

    @Test
    void attemptsThatAreNotAWholeNumberAreRefused() {
        assertThatThrownBy(() -> ItemFailures.decode("{\"index\":1,\"attempts\":\"two\"}"))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage("header procpoolFailures line 1: \"attempts\" must be a whole number, was \"two\"");
    }

    @Test
    void onlyTheIndexIsRequired() {
        assertThat(ItemFailures.decode("{\"index\":7}")).containsExactly(new ItemFailure(7, "", "", "", 0));
    }

    @Test
    void aLineThatIsNotJsonIsRefusedNamingTheLine() {
        assertThatThrownBy(() -> ItemFailures.decode("{\"index\":1}\nline 2: item \"x\": not an integer"))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageStartingWith("header procpoolFailures line 2: not JSON");
    }

    @Test
    void aFailureWithoutAnIndexIsRefused() {
        assertThatThrownBy(() -> ItemFailures.decode("{\"item\":\"x\"}"))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage("header procpoolFailures line 1: \"index\" must be a whole number, 0 or more, was missing");
    }

    @Test
    void aNegativeOrFractionalIndexIsRefused() {
        assertThatThrownBy(() -> ItemFailures.decode("{\"index\":-1}"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("was -1");
        assertThatThrownBy(() -> ItemFailures.decode("{\"index\":1.5}"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("was 1.5");
    }

    @Test
    void aFieldOfTheWrongTypeIsRefusedNamingIt() {
        assertThatThrownBy(() -> ItemFailures.decode("{\"index\":1,\"cause\":{\"nested\":true}}"))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("\"cause\" must be a string, was OBJECT");
        assertThatThrownBy(() -> ItemFailures.decode("{\"index\":1,\"workerPid\":\"4711\"}"))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("\"workerPid\" must be a whole number");
    }

    @Test
    void anArrayOrAnEmptyListIsRefused() {
        assertThatThrownBy(() -> ItemFailures.decode("[1,2]"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("line 1: not a JSON object");
        assertThatThrownBy(() -> ItemFailures.decode(""))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("is empty");
    }

    @Test
    void theTextForPeopleIsBoundedEvenForAHugeItem() {
        ItemFailure huge = new ItemFailure(0, "x".repeat(100_000), "not an integer", "", 1);

        assertThat(huge.text()).hasSizeLessThan(ErrorTexts.MAX_LINE + 40).startsWith("line 1: item \"xxx");
    }
}
