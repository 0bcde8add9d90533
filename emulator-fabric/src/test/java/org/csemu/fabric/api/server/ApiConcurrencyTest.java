package org.csemu.fabric.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.csemu.fabric.api.testing.ApiFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 50 clients x 40 requests, half of them mutations: no error, and every mutation reached the fabric once. */
class ApiConcurrencyTest {

    private static final int CLIENTS = 50;
    private static final int REQUESTS_PER_CLIENT = 40;

    @TempDir
    Path tmp;

    @Test
    void fiftyConcurrentClientsLoseNothing() throws Exception {
        try (ApiFixture api = new ApiFixture(tmp)) {
            api.fabric.addDeployment("d1", 3);
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            CountDownLatch go = new CountDownLatch(1);
            ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
            Set<String> operationIds = ConcurrentHashMap.newKeySet();
            AtomicInteger accepted = new AtomicInteger();
            AtomicInteger reads = new AtomicInteger();
            try {
                for (int c = 0; c < CLIENTS; c++) {
                    pool.execute(() -> {
                        try {
                            go.await();
                            for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
                                if (i % 2 == 0) {
                                    HttpResponse<String> r = api.postJson("/api/v1/deployments/d1/roles/WebRole/scale",
                                            "{\"count\": " + (i + 1) + "}");
                                    if (r.statusCode() != 202) {
                                        errors.add("scale: " + r.statusCode() + " " + r.body());
                                        continue;
                                    }
                                    accepted.incrementAndGet();
                                    operationIds.add(Json.MAPPER.readTree(r.body()).get("id").asText());
                                } else {
                                    HttpResponse<String> r = api.get("/api/v1/deployments/d1");
                                    if (r.statusCode() != 200 || !r.body().contains("\"WebRole_IN_2\"")) {
                                        errors.add("get: " + r.statusCode() + " " + r.body());
                                        continue;
                                    }
                                    reads.incrementAndGet();
                                }
                            }
                        } catch (Exception e) {
                            errors.add(e.toString());
                        }
                    });
                }
                go.countDown();
                pool.shutdown();
                assertThat(pool.awaitTermination(120, TimeUnit.SECONDS)).as("clients finished").isTrue();
            } finally {
                pool.shutdownNow();
            }
            int mutations = CLIENTS * REQUESTS_PER_CLIENT / 2;
            assertThat(errors).isEmpty();
            assertThat(accepted.get()).isEqualTo(mutations);
            assertThat(reads.get()).isEqualTo(mutations);
            assertThat(api.fabric.scaleCalls("d1")).isEqualTo(mutations);
            assertThat(api.fabric.mutations()).isEqualTo(mutations);
            assertThat(operationIds).hasSize(mutations);
        }
    }
}
