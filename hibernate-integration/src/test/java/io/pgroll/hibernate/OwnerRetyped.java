package io.pgroll.hibernate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** The next model of {@link Owner}: the name becomes required text. */
@Entity
@Table(name = "owners")
public class OwnerRetyped {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "owners")
    @SequenceGenerator(name = "owners", sequenceName = "owners_seq", allocationSize = 1)
    private Long id;

    @Column(name = "full_name", columnDefinition = "text", nullable = false)
    private String fullName;

    protected OwnerRetyped() {}

    public OwnerRetyped(String fullName) {
        this.fullName = fullName;
    }

    public String getFullName() {
        return fullName;
    }
}
