package org.csemu.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test class (or a single test) that boots real QEMU guests through libvirt or needs a host prepared by
 * {@code ./csemu setup}. It carries the JUnit tag {@value #TAG}: the default build runs these tests, the {@code fast}
 * Maven profile ({@code mvn -Pfast verify}) leaves them out. The tag says nothing about skipping: under
 * {@code CI=true} a VM test whose host is missing fails (see {@link HostRequirement}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Tag(VmTest.TAG)
public @interface VmTest {

    /** The JUnit tag; the {@code fast} profile in the parent pom excludes it by this name. */
    String TAG = "vm";
}
