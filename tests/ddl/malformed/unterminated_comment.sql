CREATE TABLE notes (id INTEGER);
/* the rest of this file was
   cut off by the export tool
CREATE TABLE more (id INTEGER);
