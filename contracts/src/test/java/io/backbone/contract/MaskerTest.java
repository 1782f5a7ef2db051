package io.backbone.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class MaskerTest {
    @Test
    void theHashIsHmacSha256AsRfc4231GivesIt() {
        // RFC 4231, test case 6: a key longer than the block is hashed first
        byte[] key = new byte[131];
        Arrays.fill(key, (byte) 0xaa);

        assertThat(new Masker(key).hash("Test Using Larger Than Block-Size Key - Hash Key First"))
                .isEqualTo("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    }

    @Test
    void agreesWithTheJdkMacForEveryKeyLengthAndValue() throws Exception {
        Random random = new Random(11);
        for (int keyLength : new int[] {16, 20, 63, 64, 65, 200}) {
            byte[] key = new byte[keyLength];
            random.nextBytes(key);
            Masker masker = new Masker(key);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (String value : new String[] {"", "cus-000001", "ordre-é-😀", "x".repeat(1000)}) {
                String expected = HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
                assertThat(masker.hash(value))
                        .as("key %d bytes, value %s", keyLength, value)
                        .isEqualTo(expected);
                assertThat(masker.hash(value)).as("stable across calls").isEqualTo(expected);
            }
        }
    }
}
