(component
  (component (;0;) ...)
  (component (;1;) ...)
  (instance (;0;) (instantiate 1))
  (alias export 0 "test:res/files" (instance (;1;)))
  (alias export 0 "test:res/reader" (instance (;2;)))
  (instance (;3;) (instantiate 0
      (with "test:res/files" (instance 1))
      (with "test:res/reader" (instance 2))
    )
  )
  (alias export 3 "run" (func (;0;)))
  (export (;1;) "run" (func 0))
)
