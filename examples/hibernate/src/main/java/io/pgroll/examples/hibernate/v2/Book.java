package io.pgroll.examples.hibernate.v2;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** Version 2's book: the title is a headline now, and an author is required. */
@Entity
@Table(name = "books")
public class Book {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "books")
    @SequenceGenerator(name = "books", sequenceName = "books_seq", allocationSize = 1)
    private Long id;

    private String headline;

    @Column(nullable = false)
    private String author;

    protected Book() {}

    public Book(String headline, String author) {
        this.headline = headline;
        this.author = author;
    }

    @Override
    public String toString() {
        return headline + " by " + author;
    }
}
