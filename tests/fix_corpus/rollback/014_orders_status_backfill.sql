UPDATE orders SET status = NULL;
