package dev.sluice.config;

import static org.junit.jupiter.api.Assertions.*;

import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigReaderTest {
    private static final String MINIMAL = """
            source:
              user: cdc
              password: ${DB_PASSWORD}
            kafka:
              bootstrap-servers: ${KAFKA:-localhost:9092}
            """;

    private static SluiceException refused(String yaml, Map<String, String> env) {
        SluiceException e = assertThrows(SluiceException.class, () -> ConfigReader.parse("sluice.yaml", yaml, env));
        assertEquals(ExitCode.CONFIG, e.exitCode());
        return e;
    }

    @Test
    void readsNestedAndDottedKeysWithEnvironmentSubstitution() {
        ConfigValues v = ConfigReader.parse(
                "sluice.yaml",
                MINIMAL + "filter.include: [\"shop.*\"]\nsource.port: 3307\n",
                Map.of("DB_PASSWORD", "s3cret"));
        assertEquals("cdc", v.get(ConfigKeys.SOURCE_USER));
        assertEquals("s3cret", v.get(ConfigKeys.SOURCE_PASSWORD));
        assertEquals("localhost:9092", v.get(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS));
        assertEquals(3307, v.get(ConfigKeys.SOURCE_PORT));
        assertEquals(List.of("shop.*"), v.get(ConfigKeys.FILTER_INCLUDE));
        assertEquals(100, v.get(ConfigKeys.PIPELINE_COMMIT_INTERVAL_MS), "unset keys take their default");
    }

    @Test
    void unknownKeyNamesFileLineAndKey() {
        SluiceException e = refused(MINIMAL + "source:\n  prot: 3306\n", Map.of("DB_PASSWORD", "x"));
        assertTrue(e.getMessage().contains("sluice.yaml:7"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown key 'source.prot'"), e.getMessage());
        assertTrue(e.getMessage().contains("source.port"), "suggests the known keys: " + e.getMessage());
    }

    @Test
    void missingEnvironmentVariableIsNamed() {
        SluiceException e = refused(MINIMAL, Map.of());
        assertTrue(e.getMessage().contains("DB_PASSWORD"), e.getMessage());
        assertTrue(e.getMessage().contains("source.password"), e.getMessage());
    }

    @Test
    void badValueNamesKeyAndLine() {
        SluiceException e = refused(MINIMAL + "source.port: 99999\n", Map.of("DB_PASSWORD", "x"));
        assertTrue(e.getMessage().contains("sluice.yaml:6"), e.getMessage());
        assertTrue(e.getMessage().contains("source.port"), e.getMessage());
        assertTrue(e.getMessage().contains("65535"), e.getMessage());
    }

    @Test
    void malformedYamlIsRefusedWithFileName() {
        SluiceException e = refused("source: {user: a\n", Map.of());
        assertTrue(e.getMessage().startsWith("Config error in sluice.yaml"), e.getMessage());
        assertTrue(e.getMessage().contains("malformed YAML"), e.getMessage());
    }

    @Test
    void sectionGivenAScalarIsExplained() {
        SluiceException e = refused("source: localhost\n", Map.of());
        assertTrue(e.getMessage().contains("'source' is a section"), e.getMessage());
    }

    @Test
    void missingRequiredKeyIsNamedWithTheFile() {
        ConfigValues values = ConfigReader.parse("sluice.yaml", "kafka.bootstrap-servers: k:9092\n", Map.of());
        SluiceException e = assertThrows(SluiceException.class, () -> SluiceConfig.from(values));
        assertEquals(ExitCode.CONFIG, e.exitCode());
        assertTrue(e.getMessage().contains("source.user") && e.getMessage().contains("sluice.yaml"), e.getMessage());
    }

    /** One file can configure a pipeline and its loader; each process requires only its own keys. */
    @Test
    void eachProcessRequiresOnlyItsOwnKeys() {
        String loader = "kafka.bootstrap-servers: k:9092\ntarget:\n  type: postgresql\n  url: jdbc:postgresql://w/db\n";
        LoadConfig load = LoadConfig.from(ConfigReader.parse("load.yaml", loader, Map.of()));
        assertEquals("jdbc:postgresql://w/db", load.target().url());
        assertEquals(9780, load.admin().port(), "its own admin port, not the pipeline's");
        SluiceException e = assertThrows(
                SluiceException.class,
                () -> LoadConfig.from(ConfigReader.parse("cap.yaml", MINIMAL, Map.of("DB_PASSWORD", "x"))));
        assertTrue(e.getMessage().contains("target.type") && e.getMessage().contains("cap.yaml"), e.getMessage());
    }

    @Test
    void duplicateKeyIsRefused() {
        SluiceException e = refused(MINIMAL + "source.port: 1\nsource.port: 2\n", Map.of("DB_PASSWORD", "x"));
        assertTrue(e.getMessage().contains("set twice"), e.getMessage());
    }

    @Test
    void secretsNeverAppearInDescribeOrErrors() {
        String canary = "canary-7f3a9";
        ConfigValues v = ConfigReader.parse(
                "sluice.yaml",
                MINIMAL + "kafka.properties:\n  sasl.jaas.config: \"" + canary + "\"\n  compression.type: zstd\n",
                Map.of("DB_PASSWORD", canary));
        String shown = v.describe() + SluiceConfig.from(v);
        assertFalse(shown.contains(canary), shown);
        assertTrue(shown.contains("zstd"), "non-secret properties stay visible: " + shown);
    }

    @Test
    void exactlyOnceSettingsCannotBeOverridden() {
        ConfigValues v = ConfigReader.parse(
                "sluice.yaml", MINIMAL + "kafka.properties: {acks: \"1\"}\n", Map.of("DB_PASSWORD", "x"));
        SluiceException e = assertThrows(SluiceException.class, () -> SluiceConfig.from(v));
        assertTrue(e.getMessage().contains("kafka.properties.acks"), e.getMessage());
    }

    @Test
    void showIsYamlThatReadsBackToTheSameValuesWithSecretsRedactedByDeclaration() {
        String canary = "canary-c2b91";
        ConfigValues v = ConfigReader.parse(
                "sluice.yaml",
                MINIMAL + "snapshot.mode: never\nfilter.include: [\"shop.*\", \"billing.invoices\"]\n"
                        + "kafka.properties:\n  ssl.truststore.password: \"" + canary + "\"\n"
                        + "  basic.auth.user.info: \"u:" + canary + "\"\n  linger.ms: \"7\"\n",
                Map.of("DB_PASSWORD", canary));
        String yaml = v.describe();
        assertFalse(yaml.contains(canary), yaml);
        assertTrue(yaml.contains("snapshot.mode: never\n"), "the file's spelling, set values unmarked: " + yaml);
        assertTrue(yaml.contains("source.port: 3306  # default"), "defaults marked: " + yaml);
        ConfigValues again = ConfigReader.parse("shown.yaml", yaml, Map.of());
        assertEquals(v.get(ConfigKeys.SNAPSHOT_MODE), again.get(ConfigKeys.SNAPSHOT_MODE));
        assertEquals(v.get(ConfigKeys.FILTER_INCLUDE), again.get(ConfigKeys.FILTER_INCLUDE));
        assertEquals("7", again.get(ConfigKeys.KAFKA_PROPERTIES).get("linger.ms"));
        assertEquals(v.get(ConfigKeys.SOURCE_PORT), again.get(ConfigKeys.SOURCE_PORT));
        String json = v.describeJson();
        assertFalse(json.contains(canary), json);
        assertTrue(json.contains("\"secret\" : true"), json);
    }

    @Test
    void kafkaPropertiesDeclaredAsPasswordsAreSecretWhateverTheirName() {
        assertTrue(Redaction.looksSecret("ssl.truststore.password"));
        assertTrue(Redaction.looksSecret("ssl.truststore.certificates"), "declared PASSWORD by kafka-clients");
        assertTrue(Redaction.looksSecret("basic.auth.user.info"));
        assertFalse(Redaction.looksSecret("linger.ms"));
        assertFalse(Redaction.looksSecret("compression.type"));
    }
}
