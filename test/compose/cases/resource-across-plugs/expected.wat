(component
  (component (;0;) ...)
  (component (;1;) ...)
  (component (;2;) ...)
  (instance (;0;) (instantiate 1))
  (alias export 0 "test:resmismatch/files" (instance (;1;)))
  (instance (;2;) (instantiate 2
      (with "test:resmismatch/files" (instance 1))
    )
  )
  (alias export 2 "test:resmismatch/reader" (instance (;3;)))
  (instance (;4;) (instantiate 0
      (with "test:resmismatch/files" (instance 1))
      (with "test:resmismatch/reader" (instance 3))
    )
  )
  (alias export 4 "run" (func (;0;)))
  (export (;1;) "run" (func 0))
)
