package io.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * The distribution's class path has a logging binding SLF4J accepts: without one (or with a 1.7 binding beside the
 * 2.x API) SLF4J prints its "NOP logger" warnings on every pinned run and drops every message.
 */
class LoggingTest {

    @Test
    void slf4jIsBoundToSlf4jSimpleAtWarn() {
        var factory = LoggerFactory.getILoggerFactory();

        assertThat(factory).isNotInstanceOf(NOPLoggerFactory.class);
        assertThat(factory.getClass().getName()).isEqualTo("org.slf4j.simple.SimpleLoggerFactory");
        var log = LoggerFactory.getLogger("net.openhft.affinity.Affinity");
        assertThat(log.isWarnEnabled()).isTrue();
        assertThat(log.isInfoEnabled()).as("simplelogger.properties: warnings and worse").isFalse();
    }
}
