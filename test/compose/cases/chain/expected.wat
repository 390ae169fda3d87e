(component
  (type (;0;)
    (instance
      (type (;0;) (list u8))
      (type (;1;) (func (param "len" u64) (result 0)))
      (export (;0;) "get-random-bytes" (func (type 1)))
    )
  )
  (import "wasi:random/random@0.2.0" (instance (;0;) (type 0)))
  (component (;0;) ...)
  (component (;1;) ...)
  (component (;2;) ...)
  (instance (;1;) (instantiate 1
      (with "wasi:random/random@0.2.0" (instance 0))
    )
  )
  (alias export 1 "test:chain/backend" (instance (;2;)))
  (instance (;3;) (instantiate 2
      (with "test:chain/backend" (instance 2))
    )
  )
  (alias export 3 "test:chain/api" (instance (;4;)))
  (instance (;5;) (instantiate 0
      (with "test:chain/api" (instance 4))
    )
  )
  (alias export 5 "serve" (func (;0;)))
  (export (;1;) "serve" (func 0))
)
