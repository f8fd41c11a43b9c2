package procpool.it;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares an output with the single-process result, line by line: how many expected lines are missing, how many
 * appear more than once, how many present ones are not where they belong. Every chaos test wants all three at 0.
 */
record OutputCheck(int lost, int duplicated, int outOfOrder) {

    static OutputCheck compare(List<String> expected, List<String> actual) {
        Map<String, Integer> seen = new HashMap<>();
        actual.forEach(line -> seen.merge(line, 1, Integer::sum));
        int lost = 0;
        int duplicated = 0;
        for (String line : expected) {
            int times = seen.getOrDefault(line, 0);
            if (times == 0) {
                lost++;
            } else if (times > 1) {
                duplicated += times - 1;
            }
        }
        int outOfOrder = 0;
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                outOfOrder++;
            }
        }
        return new OutputCheck(lost, duplicated, outOfOrder);
    }

    static OutputCheck perfect() {
        return new OutputCheck(0, 0, 0);
    }
}
