DROP INDEX public.orders_placed_at;
