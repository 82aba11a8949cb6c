UPDATE orders SET status = 'placed';
