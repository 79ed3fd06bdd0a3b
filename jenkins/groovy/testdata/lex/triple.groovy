sh '''
  echo 'single' "double"
  echo $HOME
'''
sh """
  echo ${VERSION}
  echo \$HOME "q"
"""
sh '''\
no leading newline'''
sh """quotes at the end"""""
