import procpool.task.Task;

/** A task class in the default package (no package declaration), as a quick script or a test might write one. */
public final class DefaultPackageTask implements Task {

    @Override
    public String name() {
        return "default-package";
    }

    @Override
    public String apply(String item) {
        return "<" + item + ">";
    }
}
