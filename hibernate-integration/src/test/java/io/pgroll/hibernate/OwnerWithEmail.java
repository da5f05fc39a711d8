package io.pgroll.hibernate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** The next model of {@link Owner}: a required email beside the name. */
@Entity
@Table(name = "owners")
public class OwnerWithEmail {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "owners")
    @SequenceGenerator(name = "owners", sequenceName = "owners_seq", allocationSize = 1)
    private Long id;

    @Column(name = "full_name")
    private String fullName;

    @Column(nullable = false)
    private String email;

    protected OwnerWithEmail() {}

    public OwnerWithEmail(String fullName, String email) {
        this.fullName = fullName;
        this.email = email;
    }

    public String getEmail() {
        return email;
    }
}
