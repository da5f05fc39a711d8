package io.pgroll.engine.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One operation of a migration. In the file format each operation is an object with a single key,
 * its {@link #kind()}, whose value holds the operation's fields.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.WRAPPER_OBJECT)
@JsonSubTypes({
    @JsonSubTypes.Type(value = CreateTable.class, name = CreateTable.KIND),
    @JsonSubTypes.Type(value = DropTable.class, name = DropTable.KIND),
    @JsonSubTypes.Type(value = RenameTable.class, name = RenameTable.KIND),
    @JsonSubTypes.Type(value = AddColumn.class, name = AddColumn.KIND),
    @JsonSubTypes.Type(value = DropColumn.class, name = DropColumn.KIND),
    @JsonSubTypes.Type(value = AlterColumn.class, name = AlterColumn.KIND),
    @JsonSubTypes.Type(value = RenameColumn.class, name = RenameColumn.KIND),
    @JsonSubTypes.Type(value = CreateIndex.class, name = CreateIndex.KIND),
    @JsonSubTypes.Type(value = DropIndex.class, name = DropIndex.KIND),
    @JsonSubTypes.Type(value = CreateConstraint.class, name = CreateConstraint.KIND),
    @JsonSubTypes.Type(value = DropConstraint.class, name = DropConstraint.KIND),
    @JsonSubTypes.Type(value = DropMultiColumnConstraint.class, name = DropMultiColumnConstraint.KIND),
    @JsonSubTypes.Type(value = RenameConstraint.class, name = RenameConstraint.KIND),
    @JsonSubTypes.Type(value = SetReplicaIdentity.class, name = SetReplicaIdentity.KIND),
    @JsonSubTypes.Type(value = RawSql.class, name = RawSql.KIND),
})
public sealed interface Operation
        permits CreateTable,
                DropTable,
                RenameTable,
                AddColumn,
                DropColumn,
                AlterColumn,
                RenameColumn,
                CreateIndex,
                DropIndex,
                CreateConstraint,
                DropConstraint,
                DropMultiColumnConstraint,
                RenameConstraint,
                SetReplicaIdentity,
                RawSql {

    /** The operation's key in the file format: {@code create_table}, …, {@code sql}. */
    @JsonIgnore
    String kind();

    /** A short human name of the operation and its object, e.g. {@code add_column "products"."description"}. */
    @JsonIgnore
    String describe();
}
