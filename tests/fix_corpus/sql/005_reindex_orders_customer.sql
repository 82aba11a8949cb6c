-- After the bulk load the index is bloated.
REINDEX INDEX orders_customer_id;
