DROP INDEX "Order Items_qty";
