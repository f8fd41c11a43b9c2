package procpool.task.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CommandWordsTest {

    @Test
    void spacesAndTabsSeparateWords() {
        assertThat(CommandWords.split("  tr \t a-z   A-Z ")).containsExactly("tr", "a-z", "A-Z");
    }

    @Test
    void singleQuotesKeepEverythingInsideAsItIs() {
        assertThat(CommandWords.split("awk '{ print $1 \"x\" \\n }'")).containsExactly("awk", "{ print $1 \"x\" \\n }");
    }

    @Test
    void doubleQuotesGroupAndTheirBackslashEscapesOnlyAQuoteOrABackslash() {
        assertThat(CommandWords.split("echo \"a \\\"b\\\" \\\\ \\n $HOME\""))
                .containsExactly("echo", "a \"b\" \\ \\n $HOME");
    }

    @Test
    void aBackslashOutsideQuotesMakesTheNextCharacterAnOrdinaryOne() {
        assertThat(CommandWords.split("printf a\\ b \\' \\\" \\\\")).containsExactly("printf", "a b", "'", "\"", "\\");
    }

    @Test
    void quotedAndUnquotedPartsNextToEachOtherMakeOneWord() {
        assertThat(CommandWords.split("a'b c'd\"e f\"g")).containsExactly("ab cde fg");
    }

    @Test
    void emptyQuotesAreAnEmptyArgument() {
        assertThat(CommandWords.split("prog '' \"\"")).containsExactly("prog", "", "");
    }

    @Test
    void shellCharactersArePassedOnAsTheyAre() {
        assertThat(CommandWords.split("echo $(touch x) `id` * ; | > out && $HOME"))
                .containsExactly("echo", "$(touch", "x)", "`id`", "*", ";", "|", ">", "out", "&&", "$HOME");
    }

    @Test
    void theBracesStayAWordOfTheirOwnForTheItem() {
        assertThat(CommandWords.split("curl -s 'http://h/x?q={}' {}")).containsExactly("curl", "-s", "http://h/x?q={}", "{}");
    }

    @Test
    void anUnclosedQuoteIsAnErrorNamingWhereItStarts() {
        assertThatThrownBy(() -> CommandWords.split("sh -c 'echo hi")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unclosed ' at character 7 of: sh -c 'echo hi");
        assertThatThrownBy(() -> CommandWords.split("echo \"hi")).hasMessageStartingWith("unclosed \" at character 6");
    }

    @Test
    void aBackslashAtTheEndIsAnError() {
        assertThatThrownBy(() -> CommandWords.split("echo \\")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a backslash at the end escapes nothing");
    }

    @Test
    void anEmptyCommandHasNoWords() {
        assertThat(CommandWords.split("   ")).isEmpty();
    }

    @Test
    void theReadmeExamplesSplitAsDocumented() {
        assertThat(CommandWords.split("printf \"%s \\\"x\\\"\\n\" {}")).containsExactly("printf", "%s \"x\"\\n", "{}");
        assertThat(CommandWords.split("ls my\\ file")).containsExactly("ls", "my file");
        assertThat(CommandWords.split("--name='a b'.txt")).containsExactly("--name=a b.txt");
        assertThat(CommandWords.split("sh -c 'printf \"%s\" \"$1\" | wc -w' sh {}"))
                .containsExactly("sh", "-c", "printf \"%s\" \"$1\" | wc -w", "sh", "{}");
    }
}
