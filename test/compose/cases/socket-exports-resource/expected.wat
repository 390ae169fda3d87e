(component
  (component (;0;) ...)
  (component (;1;) ...)
  (instance (;0;) (instantiate 1))
  (alias export 0 "test:sockres/greet" (instance (;1;)))
  (instance (;2;) (instantiate 0
      (with "test:sockres/greet" (instance 1))
    )
  )
  (alias export 2 "test:sockres/files" (instance (;3;)))
  (export (;4;) "test:sockres/files" (instance 3))
  (alias export 2 "test:sockres/reader" (instance (;5;)))
  (export (;6;) "test:sockres/reader" (instance 5))
)
