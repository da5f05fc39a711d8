package io.pgroll.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** An entity whose table and sequence no version has yet. */
@Entity
@Table(name = "visits")
public class Visit {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "visits")
    @SequenceGenerator(name = "visits", sequenceName = "visits_seq", allocationSize = 1)
    private Long id;

    private String description;

    protected Visit() {}

    public Visit(String description) {
        this.description = description;
    }

    public String getDescription() {
        return description;
    }
}
