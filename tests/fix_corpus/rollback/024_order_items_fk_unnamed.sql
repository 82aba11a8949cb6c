ALTER TABLE "Order Items" DROP CONSTRAINT "Order Items_Order ID_fkey";
