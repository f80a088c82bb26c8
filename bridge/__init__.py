"""ORM glue between the records and the plain-Python planning engine."""
