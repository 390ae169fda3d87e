(component
  (component (;0;) ...)
  (component (;1;) ...)
  (component (;2;) ...)
  (instance (;0;) (instantiate 1))
  (alias export 0 "now" (func (;0;)))
  (instance (;1;) (instantiate 2
      (with "now" (func 0))
    )
  )
  (alias export 1 "log" (func (;1;)))
  (instance (;2;) (instantiate 0
      (with "now" (func 0))
      (with "log" (func 1))
    )
  )
  (alias export 2 "run" (func (;2;)))
  (export (;3;) "run" (func 2))
)
