package procpool.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import procpool.config.Settings;

class ErrorPolicyTest {

    private static ErrorPolicy of(Map<String, String> settings) {
        return ErrorPolicy.of(Settings.load(null, Map.of(), settings).tasks().get("square"));
    }

    @Test
    void aTaskWithoutOnErrorFails() {
        assertThat(of(Map.of("procpool.task.square.max-errors", "3"))).isEqualTo(new ErrorPolicy(false, 3L, null));
        assertThat(ErrorPolicy.FAIL.describe()).isEqualTo("fail");
    }

    @Test
    void maxErrorsIsTheMostFailedItemsABatchMayHave() {
        ErrorPolicy policy = of(Map.of("procpool.task.square.on-error", "skip", "procpool.task.square.max-errors", "10"));

        assertThat(policy.exceeded(10, 1_000_000)).isNull();
        assertThat(policy.exceeded(11, 1_000_000)).isEqualTo("more than 10 failed items (max-errors=10)");
    }

    @Test
    void maxErrorsZeroFailsOnTheFirstFailedItem() {
        assertThat(new ErrorPolicy(true, 0L, null).exceeded(1, 5)).isEqualTo("more than 0 failed items (max-errors=0)");
        assertThat(new ErrorPolicy(true, 1L, null).exceeded(2, 5)).isEqualTo("more than 1 failed item (max-errors=1)");
    }

    @Test
    void maxErrorRateIsAShareOfTheBatchsItemsShownAsAPercentage() {
        ErrorPolicy policy = new ErrorPolicy(true, null, 0.07);

        assertThat(policy.exceeded(7, 100)).isNull();
        assertThat(policy.exceeded(8, 100)).isEqualTo("more than 7% of 100 items failed: 8 failed items "
                + "(max-error-rate=0.07)");
    }

    @Test
    void withoutLimitsSkipNeverFails() {
        assertThat(new ErrorPolicy(true, null, null).exceeded(1_000_000, 1_000_000)).isNull();
        assertThat(new ErrorPolicy(true, null, null).describe()).isEqualTo("skip (no limit)");
        assertThat(new ErrorPolicy(true, 10L, 0.5).describe()).isEqualTo("skip (max-errors 10, max-error-rate 0.5)");
    }

    @Test
    void thePolicySurvivesACheckpoint() {
        ErrorPolicy policy = new ErrorPolicy(true, 10L, 0.25);
        Properties properties = new Properties();
        policy.store(properties);

        assertThat(ErrorPolicy.load(properties)).isEqualTo(policy);
        assertThat(ErrorPolicy.load(new Properties())).as("a checkpoint from before policies").isEqualTo(ErrorPolicy.FAIL);
    }
}
