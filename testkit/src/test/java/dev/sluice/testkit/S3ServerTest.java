package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.embedded.S3Server;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The harness's S3 server is a real S3 API: the AWS SDK v2 client (path style, endpoint override, static
 * credentials, as the lake target will use it) stores, lists and returns objects byte for byte, assembles a multipart
 * upload, refuses a wrong secret and names a missing bucket.
 */
class S3ServerTest {
    private static S3Server server;
    private static S3Client s3;
    private static String bucket;

    @BeforeAll
    static void connect() {
        server = TestServers.s3();
        bucket = server.createBucket(TestServers.uniqueBucket("s3test"));
        s3 = client(server.accessKey(), server.secretKey());
    }

    @AfterAll
    static void close() {
        s3.close();
    }

    private static S3Client client(String accessKey, String secretKey) {
        return S3Client.builder()
                .endpointOverride(URI.create(server.endpoint()))
                .region(Region.of(server.region()))
                .forcePathStyle(true)
                // SDK 2.30+ sends CRC32 trailers in aws-chunked bodies by default; s3proxy 2.6 (like several
                // S3-compatible stores) rejects those with 400 "x-amz-content-sha256 ... does not match".
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .build();
    }

    @Test
    void anObjectPutIsListedAndReadBackByteForByte() {
        byte[] content = randomBytes(100_000, 1);
        s3.putObject(b -> b.bucket(bucket).key("dir/one.bin"), RequestBody.fromBytes(content));

        List<S3Object> listed =
                s3.listObjectsV2(b -> b.bucket(bucket).prefix("dir/")).contents();
        assertEquals(List.of("dir/one.bin"), listed.stream().map(S3Object::key).toList());
        assertEquals(content.length, listed.get(0).size());
        assertArrayEquals(
                content,
                s3.getObjectAsBytes(b -> b.bucket(bucket).key("dir/one.bin")).asByteArray());
    }

    @Test
    void aMultipartUploadOfMoreThanFiveMebibytesIsAssembledInPartOrder() {
        // S3's minimum part is 5 MiB for every part but the last: two parts make the smallest real multipart upload.
        byte[] first = randomBytes(5 * 1024 * 1024, 2);
        byte[] last = randomBytes(1024 * 1024 + 17, 3);
        String key = "multi/part.bin";
        String uploadId =
                s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        byte[][] bodies = {first, last};
        for (int i = 0; i < bodies.length; i++) {
            int number = i + 1;
            String etag = s3.uploadPart(
                            b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
                            RequestBody.fromBytes(bodies[i]))
                    .eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        s3.completeMultipartUpload(b -> b.bucket(bucket)
                .key(key)
                .uploadId(uploadId)
                .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));

        byte[] whole = new byte[first.length + last.length];
        System.arraycopy(first, 0, whole, 0, first.length);
        System.arraycopy(last, 0, whole, first.length, last.length);
        assertArrayEquals(
                whole, s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
    }

    @Test
    void aClientWithTheWrongSecretIsRefusedWith403() {
        try (S3Client wrong = client(server.accessKey(), server.secretKey() + "x")) {
            S3Exception refused = assertThrows(
                    S3Exception.class,
                    () -> wrong.putObject(b -> b.bucket(bucket).key("denied"), RequestBody.fromString("no")));
            assertEquals(403, refused.statusCode());
        }
        assertThrows(
                S3Exception.class, () -> s3.headObject(b -> b.bucket(bucket).key("denied")));
    }

    @Test
    void aMissingBucketIsNamedNoSuchBucket() {
        NoSuchBucketException missing = assertThrows(
                NoSuchBucketException.class, () -> s3.listObjectsV2(b -> b.bucket(TestServers.uniqueBucket("absent"))));
        assertEquals(404, missing.statusCode());
        assertEquals("NoSuchBucket", missing.awsErrorDetails().errorCode());
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
