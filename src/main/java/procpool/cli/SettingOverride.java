package procpool.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** One {@code --set KEY=VALUE}: a setting given on the command line, overriding the settings file. */
record SettingOverride(String key, String value) {

    /** Reads {@code KEY=VALUE}; anything else is refused with the form expected and an example. */
    static final class Converter implements ITypeConverter<SettingOverride> {

        @Override
        public SettingOverride convert(String text) {
            int equals = text.indexOf('=');
            if (equals <= 0) {
                throw new TypeConversionException("expected KEY=VALUE (e.g. --set procpool.workers=4), got '" + text
                        + "'");
            }
            return new SettingOverride(text.substring(0, equals).strip(), text.substring(equals + 1));
        }
    }
}
