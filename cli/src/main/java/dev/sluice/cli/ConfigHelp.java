package dev.sluice.cli;

import dev.sluice.config.ConfigKey;
import dev.sluice.config.ConfigKeys;

/** Text about config keys for --help footers and the generated docs/config.md, from the one declaration. */
final class ConfigHelp {
    private ConfigHelp() {}

    /**
     * The footer of each command that reads a config file: where the keys are, not the keys themselves (a hundred
     * lines under every usage error helped nobody). {@code $$} keeps picocli from substituting the example.
     */
    static String[] helpFooter() {
        return new String[] {
            "",
            "Configuration keys: `sluice config reference` lists every key with its type,",
            "default and meaning (also in docs/config.md). In a value, $${NAME} and",
            "$${NAME:-default} are replaced by the environment variable NAME."
        };
    }

    static String markdownReference() {
        StringBuilder out = new StringBuilder();
        out.append("# Configuration reference\n\n")
                .append(
                        "Generated from `ConfigKeys.java` by `sluice config reference`; a test keeps this file in sync.\n\n")
                .append("Sluice reads one YAML file (`sluice run --config sluice.yaml`). Keys may be written nested ")
                .append("(`source:` then `port: 3306`) or dotted (`source.port: 3306`). `${NAME}` in a value is ")
                .append("replaced by the environment variable NAME (`${NAME:-default}` gives a default); a missing ")
                .append("variable is an error. An unknown key is an error naming the file and line.\n\n")
                .append("| key | type | default | description |\n|---|---|---|---|\n");
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            out.append("| `")
                    .append(key.name())
                    .append("` | ")
                    .append(key.type().replace("|", "\\|"))
                    .append(" | `")
                    .append(key.defaultText())
                    .append("` | ")
                    .append(key.isSecret() ? "**Secret.** " : "")
                    .append(key.doc().replace("|", "\\|"))
                    .append(" |\n");
        }
        return out.toString();
    }
}
