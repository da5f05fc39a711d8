package io.pgroll.spring;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** An application with nothing of its own: what the starter configures is all there is. */
@SpringBootApplication
class TestApplication {}
