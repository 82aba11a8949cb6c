ALTER TABLE "Order Items" ADD FOREIGN KEY ("Order ID") REFERENCES orders (id);
