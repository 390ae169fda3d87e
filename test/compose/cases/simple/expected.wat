(component
  (component (;0;) ...)
  (component (;1;) ...)
  (instance (;0;) (instantiate 1))
  (alias export 0 "test:simple/greet" (instance (;1;)))
  (instance (;2;) (instantiate 0
      (with "test:simple/greet" (instance 1))
    )
  )
  (alias export 2 "run" (func (;0;)))
  (export (;1;) "run" (func 0))
)
