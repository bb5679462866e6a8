// RecTerm module marker; replaced as the module grows.
