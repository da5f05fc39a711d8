package io.pgroll.hibernate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** Ids from a sequence, which lives in the migrated schema, not in the version schema. */
@Entity
@Table(name = "owners")
public class Owner {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "owners")
    @SequenceGenerator(name = "owners", sequenceName = "owners_seq", allocationSize = 1)
    private Long id;

    @Column(name = "full_name")
    private String fullName;

    protected Owner() {}

    public Owner(String fullName) {
        this.fullName = fullName;
    }

    public Long getId() {
        return id;
    }

    public String getFullName() {
        return fullName;
    }
}
