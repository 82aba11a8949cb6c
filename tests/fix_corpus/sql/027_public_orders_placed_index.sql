CREATE INDEX orders_placed_at ON public.orders USING brin (placed_at);
