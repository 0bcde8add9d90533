package org.csemu.fabric.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The {@code exec} host message: command and stdin base64, stdin left out when there is none (the guest reads /dev/null). */
class AgentCodecExecTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theCommandAndItsStdinTravelBase64AndAnEmptyStdinIsLeftOut() throws Exception {
        byte[] stdin = {'a', '"', '\n', 0, (byte) 0xff};
        JsonNode with = JSON.readTree(AgentCodec.exec("e-1", "cat > /tmp/x", true, stdin));
        assertThat(with.get("type").asText()).isEqualTo("exec");
        assertThat(new String(Base64.getDecoder().decode(with.get("command64").asText()), StandardCharsets.UTF_8))
                .isEqualTo("cat > /tmp/x");
        assertThat(Base64.getDecoder().decode(with.get("stdin64").asText())).isEqualTo(stdin);
        assertThat(with.get("elevated").asBoolean()).isTrue();
        JsonNode without = JSON.readTree(AgentCodec.exec("e-2", "true", false, new byte[0]));
        assertThat(without.has("stdin64")).isFalse();
    }
}
