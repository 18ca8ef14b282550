CREATE TABLE t_broken (id INTEGER PRIMARY KEY);
INSERT INTO t_one (id, name) VALUES (3, 'from broken v2');
INSERT INTO no_such_table (id) VALUES (1);
