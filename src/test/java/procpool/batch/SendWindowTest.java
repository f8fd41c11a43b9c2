package procpool.batch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SendWindowTest {

    @Test
    void allowsAtMostMaxInFlightChunksAheadOfTheFirstUnanswered() {
        SendWindow window = new SendWindow(2);
        assertThat(window.allows(0)).isTrue();
        assertThat(window.allows(1)).isTrue();
        assertThat(window.allows(2)).isFalse();

        window.answer(1);
        assertThat(window.allows(2)).as("chunk 0 still holds the window").isFalse();

        window.answer(0);
        assertThat(window.allows(2)).isTrue();
        assertThat(window.allows(3)).isTrue();
        assertThat(window.allows(4)).isFalse();
    }

    @Test
    void aWindowBelowOneAllowsOneChunk() {
        SendWindow window = new SendWindow(0);
        assertThat(window.allows(0)).isTrue();
        assertThat(window.allows(1)).isFalse();
    }

    @Test
    void aSecondAnswerOfTheSameChunkIsADuplicate() {
        SendWindow window = new SendWindow(4);
        assertThat(window.answer(3)).isTrue();
        assertThat(window.answer(3)).isFalse();
        assertThat(window.isAnswered(3)).isTrue();
        assertThat(window.answeredCount()).isEqualTo(1);
    }

    @Test
    void allChunksAreAnsweredOnlyOnceTheLastWasSentAndEveryOneAnswered() {
        SendWindow window = new SendWindow(4);
        window.answer(0);
        window.answer(1);
        assertThat(window.allAnswered()).as("the chunk count is not known yet").isFalse();

        window.allSent(3);
        assertThat(window.totalChunks()).isEqualTo(3);
        assertThat(window.allAnswered()).isFalse();

        window.answer(2);
        assertThat(window.allAnswered()).isTrue();
    }

    @Test
    void listsTheChunksSentButNotAnswered() {
        SendWindow window = new SendWindow(8);
        for (int i = 0; i < 4; i++) {
            window.sent(i);
        }
        window.answer(1);
        window.answer(3);

        assertThat(window.unanswered()).containsExactly(0, 2);
        assertThat(window.sentCount()).isEqualTo(4);
    }

    @Test
    void aChunkNotYetSentIsNotUnanswered() {
        SendWindow window = new SendWindow(8);
        window.sent(0);
        assertThat(window.unanswered()).containsExactly(0);
    }

    @Test
    void aResumedWindowCountsTheWrittenChunksAsAnswered() {
        SendWindow window = new SendWindow(2);
        window.resume(3, 5);

        assertThat(window.answeredCount()).isEqualTo(3);
        assertThat(window.totalChunks()).isEqualTo(5);
        assertThat(window.allows(4)).isTrue();
        assertThat(window.allows(5)).isFalse();
        assertThat(window.answer(2)).as("written before the restart").isFalse();
    }
}
