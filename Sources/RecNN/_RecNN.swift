// RecNN module marker; replaced as the module grows.
