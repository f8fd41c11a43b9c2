package procpool.task;

/** Sleeps the item's number of milliseconds and returns the item: a stand-in for slow work in tests and demos. */
public final class SleepTask implements Task {

    @Override
    public String name() {
        return "sleep";
    }

    @Override
    public String apply(String item) throws InterruptedException {
        long millis;
        try {
            millis = Long.parseLong(item.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number of milliseconds: \"" + item + "\"");
        }
        if (millis < 0) {
            throw new IllegalArgumentException("negative sleep: " + millis);
        }
        Thread.sleep(millis);
        return item;
    }
}
