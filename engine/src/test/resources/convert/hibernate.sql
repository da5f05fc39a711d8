create sequence owners_seq start with 1 increment by 50;
create sequence pets_seq start with 1 increment by 50;
create table owners (id integer not null, address varchar(255), city varchar(255), first_name varchar(255), last_name varchar(255), telephone varchar(255), primary key (id));
create table pets (birth_date date, id integer not null, owner_id integer, type_id integer, name varchar(255), primary key (id));
create table types (id integer not null, name varchar(255), primary key (id));
create table visits (id integer not null, pet_id integer, visit_date date, description varchar(255), primary key (id));
alter table if exists pets add constraint FKjz2btqaqp5i5jkpouu8m7tbem foreign key (owner_id) references owners;
alter table if exists pets add constraint FKtmmh1tq8pah5vxf8kuqqplo4p foreign key (type_id) references types;
alter table if exists visits add constraint FK6jcifhlqqlsfseu67utlouauy foreign key (pet_id) references pets;
