UPDATE users SET name = email;
UPDATE users SET plan = 'pro' WHERE id IN (SELECT user_id FROM orders WHERE total > 1000);
