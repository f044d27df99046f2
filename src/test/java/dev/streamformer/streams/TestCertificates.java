package dev.streamformer.streams;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for TLS tests, made with the JDK's own {@code keytool} (next to the running {@code java}): a self-signed
 * broker certificate for 127.0.0.1 in a PKCS12 key store, a trust store holding it, and a trust store holding an
 * unrelated certificate (the wrong one).
 */
final class TestCertificates {

    static final String PASSWORD = "changeit-test";

    final Path brokerKeyStore;
    final Path trustStore;
    final Path wrongTrustStore;

    private TestCertificates(Path brokerKeyStore, Path trustStore, Path wrongTrustStore) {
        this.brokerKeyStore = brokerKeyStore;
        this.trustStore = trustStore;
        this.wrongTrustStore = wrongTrustStore;
    }

    static TestCertificates create(Path dir) throws Exception {
        Path broker = dir.resolve("broker.p12");
        Path brokerCert = dir.resolve("broker.crt");
        Path trust = dir.resolve("trust.p12");
        Path other = dir.resolve("other.p12");
        Path otherCert = dir.resolve("other.crt");
        Path wrongTrust = dir.resolve("wrong-trust.p12");
        keyPair(broker, "broker", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost");
        keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", broker.toString(), "-storepass", PASSWORD,
                "-file", brokerCert.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", brokerCert.toString(), "-keystore", trust.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD);
        keyPair(other, "other", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost");
        keytool("-exportcert", "-rfc", "-alias", "other", "-keystore", other.toString(), "-storepass", PASSWORD,
                "-file", otherCert.toString());
        keytool("-importcert", "-noprompt", "-alias", "other", "-file", otherCert.toString(), "-keystore", wrongTrust.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD);
        return new TestCertificates(broker, trust, wrongTrust);
    }

    private static void keyPair(Path keyStore, String alias, String dname, String san) throws Exception {
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname, "-ext", san,
                "-validity", "2", "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD,
                "-keypass", PASSWORD);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow(() -> new IllegalStateException("no java path")));
        var command = new ArrayList<>(List.of(java.resolveSibling("keytool").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }
}
