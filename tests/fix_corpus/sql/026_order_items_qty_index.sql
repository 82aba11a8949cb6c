CREATE INDEX "Order Items_qty" ON "Order Items" (qty) WHERE qty > 1;
